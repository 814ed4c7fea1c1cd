"use strict";
module.exports = require("./defer.cjs").defer("archiver", "cdktf/lib/private/fs.js");
