-- AlterTable
ALTER TABLE "QuizAttempt" ADD COLUMN     "topic" TEXT;
