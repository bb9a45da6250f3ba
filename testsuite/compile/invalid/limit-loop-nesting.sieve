# sievec-args: --limit loop_nesting=1
require "foreverypart";
foreverypart {
    foreverypart { }
}
