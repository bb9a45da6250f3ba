require ["editheader", "encoded-character"];
addheader "X-Nul" "a${hex:00}b";
