error "nope";
