include.so: \
  scripts/include-main.sieve \
  scripts/include/global/spam.sieve \
  scripts/include/lists.sieve
