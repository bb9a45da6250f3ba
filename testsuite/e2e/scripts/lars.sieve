require "editheader";
# Another edit: with tina in one transaction, split sends it back (452).
addheader :last "X-Sieve-Other" "lars";
