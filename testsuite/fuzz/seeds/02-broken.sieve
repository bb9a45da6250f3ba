# The example with two mistakes, to show what a script error looks like:
# fileinto is used without require "fileinto", and a ';' is missing.
require ["reject"];

if size :over 512K {
    reject "Message too large."
    stop;
}
fileinto "moderation";
