# sievec-args: --limit string_len=8
# A string longer than the string_len limit.
require "reject";
reject "This reason is too long.";
