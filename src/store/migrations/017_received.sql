-- Version 17: the unit's 签收 day of a 转送/交办 (the acceptance and objection
-- clocks run from it, 《信访工作条例》第二十三条); NULL for rows written
-- before, read as the day sent.
ALTER TABLE assignments ADD COLUMN received_on TEXT;
