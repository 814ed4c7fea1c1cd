"use strict";
module.exports = require("./defer.cjs").defer("semver", "cdktf/lib/validations/validate-binary-version.js");
