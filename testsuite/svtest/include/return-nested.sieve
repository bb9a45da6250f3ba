require ["include", "fileinto"];
if true {
	if header :contains "subject" "" {
		fileinto "RN1";
		return;
	}
}
fileinto "RN2";
