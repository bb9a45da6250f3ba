# sievec-args: --max-errors=2
# Three errors, only two shown, and a line saying so.
frobnicate;
if foo { bar; }
