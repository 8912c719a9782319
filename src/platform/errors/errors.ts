/**
 * Errors a use case can raise. Each maps to one HTTP status, a GOV.UK error page for
 * browsers and an RFC 9457 problem for the API (see errors/handler.ts).
 */
export class AppError extends Error {
  constructor(
    message: string,
    readonly statusCode: number,
    readonly problemType: string,
    readonly title: string,
  ) {
    super(message);
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'The page or record was not found') {
    super(message, 404, 'not-found', 'Not found');
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You do not have permission to do this') {
    super(message, 403, 'forbidden', 'Forbidden');
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Sign in to continue') {
    super(message, 401, 'unauthenticated', 'Not signed in');
  }
}

/** Optimistic concurrency: somebody else saved the record since it was read. */
export class ConflictError extends AppError {
  constructor(message = 'Somebody else changed this record after you opened it. Your changes have not been saved.') {
    super(message, 409, 'edit-conflict', 'Edit conflict');
  }
}

export class TooManyRequestsError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, 429, 'too-many-requests', 'Too many requests');
  }
}

export interface FieldIssue {
  /** Field path as the form names it, e.g. "email" or "events[2].date". */
  path: string;
  message: string;
}

/** Input that breaks a business rule the schema could not express (e.g. "code already used"). */
export class InputError extends AppError {
  constructor(readonly issues: FieldIssue[]) {
    super(issues.map((i) => i.message).join('; '), 422, 'invalid-input', 'The input is not valid');
  }
}

export const PROBLEM_BASE = 'https://aftercare.example/problems/';
