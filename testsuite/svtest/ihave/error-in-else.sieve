require ["ihave", "fileinto"];
if ihave "fileinto" {
	fileinto "has-fileinto";
} else {
	error "no fileinto";
}
