require "fileinto";
fileinto "N3";
