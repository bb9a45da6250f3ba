require ["editheader", "variables"];
set "n" "";
deleteheader "${n}";
