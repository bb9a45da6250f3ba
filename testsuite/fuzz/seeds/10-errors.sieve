if header :is "a" {
  frobnicate 1 2 3;
  fileinto "x"
  if true ) {
}
elsif false { keep; }
require "fileinto";
stop
