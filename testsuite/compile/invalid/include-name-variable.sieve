# sievec-args: --include-dir-personal include-scripts
# Included scripts are compiled in, so the name must be a constant.
require ["include", "variables"];
set "name" "common";
include "${name}";
