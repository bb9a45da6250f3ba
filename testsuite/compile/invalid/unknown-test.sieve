if isspam { discard; }
