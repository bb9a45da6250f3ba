# sievec-args: --limit list_items=3
# A string list longer than the list_items limit.
if header :contains "From" ["a", "b", "c", "d"] { discard; }
