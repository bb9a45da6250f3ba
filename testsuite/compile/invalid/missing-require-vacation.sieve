vacation "I am away.";
