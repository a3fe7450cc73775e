import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

/** "field: rule" for every failed constraint, nested fields with their path. */
export function describeValidationErrors(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => `${path}: ${message}`);
    return [...own, ...describeValidationErrors(error.children ?? [], path)];
  });
}

/**
 * The pipe of every ops query and body: unknown fields are refused (a typo in a replay filter
 * must not widen it to everything), values are converted to their declared types, and a 400
 * lists each problem as `field: rule`.
 */
export function opsValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    exceptionFactory: (errors) =>
      new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: describeValidationErrors(errors),
      }),
  });
}
