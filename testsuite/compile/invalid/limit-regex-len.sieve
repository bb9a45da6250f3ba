# sievec-args: --limit regex_len=4
require "regex";
if header :regex "Subject" "^abcdef" { keep; }
