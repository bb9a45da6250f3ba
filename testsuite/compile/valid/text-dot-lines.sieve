require "reject";
# RFC 5228 8.1: a line of only "." ends the literal; ".x" and ". " lines
# start with a dot without being the end, and ".." loses one dot.
reject text:
.x is kept as .x
. a dot and a space
..
.
;
