require ["editheader", "fileinto", "mailbox"];
addheader "X-Script" "nested";
deleteheader "X-Drop";
fileinto :create "Nested";
