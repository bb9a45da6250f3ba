require "fileinto";
fileinto "X"
keep;
