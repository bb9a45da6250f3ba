require "reject";
# ABNF literals are case-insensitive (RFC 5234 2.3), so TEXT: is text:.
reject TEXT:
Refused.
.
;
