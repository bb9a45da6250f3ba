require ["foreverypart", "fileinto"];
foreverypart {
	fileinto "first";
	stop;
}
fileinto "after";
