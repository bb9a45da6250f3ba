require "fileinto";
fileinto "Lists";
redirect "archive@example.com";
keep;
