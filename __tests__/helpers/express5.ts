process.env.EBT_EXPRESS = '5';
