require /* between */ ["fileinto", # inside a list
                       "envelope"];
if /* before test */ header # after test name
   :contains /* after tag */ "Subject" "x" /* before block */ {
  fileinto /* argument follows */ "Junk"; # trailing
} # after block
/**/ keep; /***/ /* ** */
