-- Small objects keep their bytes in their record (objects.data) instead
-- of a blob file: one durable commit per write instead of a file create,
-- two fsyncs and a rename. NULL for blob objects and delete markers.
ALTER TABLE objects ADD COLUMN data BLOB;
