require ["ihave", "fileinto"];
if false {
	error "never";
}
fileinto "ran";
