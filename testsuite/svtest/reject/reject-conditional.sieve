require "reject";
if header :contains "subject" "spam" {
	reject "Spam is refused.";
}
