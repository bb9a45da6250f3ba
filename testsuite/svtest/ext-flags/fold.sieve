require ["editheader", "encoded-character", "fileinto"];
addheader "X-Folded" "first${hex:0D 0A 09}second";
if header :is "X-Folded" "first second" {
	fileinto "folded";
}
