# sievec-args: --limit script_size=64
# A script bigger than the script_size limit: it is refused as a whole.
keep;
