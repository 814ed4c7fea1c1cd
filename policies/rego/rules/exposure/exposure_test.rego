package baseplate.rules.exposure_test

import rego.v1

import data.baseplate.lib.testing_test as testing

test_cases if testing.all_pass("exposure")
