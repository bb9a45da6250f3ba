keep;
require "fileinto";
fileinto "a";
