require "fileinto";
fileinto "PersonalSame";
