# Included by invalid/include-error-in-included.sieve: a missing ";".
require "fileinto";
fileinto "x"
keep;
