require "fileinto";
fileinto "One";
if false {
	stop;
}
fileinto "Two";
