# RFC 5230 4.7: a second vacation in one run is an error.
require "vacation";
vacation "First.";
vacation :handle "other" "Second.";
