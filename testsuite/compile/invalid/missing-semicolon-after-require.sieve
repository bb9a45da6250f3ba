require "fileinto"
fileinto "a";
