require "fileinto";
fileinto "GlobalSame";
