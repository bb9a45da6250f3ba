require "fileinto";
fileinto "S1";
stop;
fileinto "S2";
