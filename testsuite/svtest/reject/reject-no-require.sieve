reject "No.";
