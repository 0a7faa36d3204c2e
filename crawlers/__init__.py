"""Workers that fetch pages safely and politely and read who made them."""
