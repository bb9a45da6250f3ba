# sievec-args: --limit commands=3
keep;
keep;
keep;
keep;
