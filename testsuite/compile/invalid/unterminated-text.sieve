require "reject";
reject text:
This multi-line string never ends.
