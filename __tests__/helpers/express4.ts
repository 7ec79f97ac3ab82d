process.env.EBT_EXPRESS = '4';
