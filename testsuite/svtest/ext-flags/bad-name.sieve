require ["editheader", "variables"];
set "n" "X Bad:Name";
addheader "${n}" "value";
