require["fileinto","envelope"];if anyof(header :is"a""b",envelope :is"from""c"){fileinto"d";}elsif not exists"e"{stop;}else{keep;}
