require ["editheader", "encoded-character"];
addheader "X-Cr" "a${hex:0D}b";
