redirect "this is not an address";
