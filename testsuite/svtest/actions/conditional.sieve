require "fileinto";
if address :domain "from" "example.com" {
	discard;
} elsif address :domain "from" "example.org" {
	fileinto "Friends";
}
