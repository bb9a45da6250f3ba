# Three requires, one used.
require ["fileinto", "envelope", "copy"];
fileinto "Archive";
